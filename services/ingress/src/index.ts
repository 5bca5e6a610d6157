export { startIngress } from './bootstrap';
export { loadIngressConfig, type IngressConfig } from './config/ingress-config';
