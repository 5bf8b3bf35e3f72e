/** The node could not be asked (down, timeout, auth): shares wait, none is rejected for it. */
export class NodeUnavailableError extends Error {}
