/** The list of indicator functions a role checks (DB and broker everywhere, the node on backends). */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
