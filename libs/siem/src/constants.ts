/** Vendor and product name written into every SIEM record. */
export const SIEM_VENDOR = 'llmops';
export const SIEM_PRODUCT = 'llmops';
/** Product version written into every SIEM record (CEF header, OCSF `metadata.product.version`, ECS `observer.version`). */
export const SIEM_PRODUCT_VERSION = '0.1.0';

/** The OCSF schema release the OCSF records follow (`metadata.version`). */
export const OCSF_SCHEMA_VERSION = '1.8.0';
/** The ECS release the ECS documents follow (`ecs.version`). */
export const ECS_VERSION = '8.17.0';

/**
 * Private Enterprise Number in the syslog SD-ID `llmops@<PEN>`. 32473 is the
 * number RFC 5612 reserves for documentation and examples; a deployment that
 * owns an IANA PEN passes it as `enterpriseNumber` instead.
 * @default 32473
 */
export const SYSLOG_DOCUMENTATION_PEN = 32473;
