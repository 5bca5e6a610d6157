export { startPiiScanner } from './bootstrap';
export { loadScannerConfig, type ScannerConfig } from './config/scanner-config';
export { InvocationScanner } from './scanner/invocation-scanner';
