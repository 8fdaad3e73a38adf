export { CONFIG_FOLDERS, describeSource } from './config-source.js';
export type { ConfigSource, SourceDescription } from './config-source.js';
export { DirectorySource } from './directory-source.js';
export { GitRepository } from './git-repository.js';
export { GitSource } from './git-source.js';
export { findConfigRoot, openSource } from './open-source.js';
