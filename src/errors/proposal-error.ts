import { HonuaError } from './honua-error.js';

/** A proposal cannot be prepared or made (a path, a name, the repository, the push); the code says which. */
export class ProposalError extends HonuaError {}

/** A proposal branch name is not acceptable, or already taken. */
export class BranchNameError extends ProposalError {}
