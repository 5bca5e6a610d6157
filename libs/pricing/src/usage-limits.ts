/**
 * Most tokens one invocation may count in any usage field. More is not a
 * real call: the ingress refuses it with a 400 and the token-accountant
 * dead-letters a record that carries it.
 */
export const MAX_TOKENS = 100_000_000;
