/**
 * Login attempts allowed per account and per client address in a window. Per account stops guessing
 * one person's password from many addresses; per address stops one client trying many accounts. A
 * city office behind one NAT shares an address: hence the larger figure (and IOC_TRUST_PROXY behind a
 * reverse proxy, or every client has the proxy's address).
 */
export const LOGIN_LIMITS = { perAccount: 10, perAddress: 100, windowMs: 15 * 60_000 } as const
