import { addressDetector } from './address';
import type { Detector } from './detector';
import { dobDetector } from './dob';
import { emailDetector } from './email';
import { ibanDetector } from './iban';
import { networkDetector } from './network';
import { numericDetector } from './numeric';
import { personDetector } from './person';
import { genericSecretDetector } from './secrets/generic';
import { jwtDetector } from './secrets/jwt';
import { pemDetector } from './secrets/pem';
import { prefixedSecretsDetector } from './secrets/prefixed';
import { urlCredentialsDetector } from './secrets/url-credentials';

export type { Detector, DetectorOptions, ScanContext } from './detector';
export { scanContext } from './detector';

/** Every detector, in the order the engine runs them (the order does not affect results). */
export const DETECTORS: readonly Detector[] = [
  pemDetector,
  jwtDetector,
  prefixedSecretsDetector,
  genericSecretDetector,
  urlCredentialsDetector,
  emailDetector,
  ibanDetector,
  numericDetector,
  networkDetector,
  dobDetector,
  addressDetector,
  personDetector,
];
