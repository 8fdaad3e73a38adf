export { CONFIG_FOLDERS, describeSource } from './config-source.js';
export type { ConfigSource, SourceDescription } from './config-source.js';
export { DirectorySource } from './directory-source.js';
export { GitRepository } from './git-repository.js';
export { GitSource } from './git-source.js';
export { findConfigRoot, openSource } from './open-source.js';
export { OverlaySource } from './overlay-source.js';
export { proposalPath, ProposalError, writeProposalBranch } from './proposal-branch.js';
export type { ProposalFile, ProposalRequest, ProposalResult } from './proposal-branch.js';
