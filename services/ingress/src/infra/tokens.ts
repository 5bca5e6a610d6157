/** Nest injection tokens of the ingress's infrastructure providers. */
export const LOGGER = Symbol('LOGGER');
export const KAFKA = Symbol('KAFKA');
export const METRICS = Symbol('METRICS');
export const REDIS = Symbol('REDIS');
