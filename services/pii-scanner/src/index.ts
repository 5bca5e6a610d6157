export { piiScanner, startPiiScanner } from './service';
export { loadScannerConfig, type ScannerConfig } from './config/scanner-config';
export { InvocationScanner } from './scanner/invocation-scanner';
