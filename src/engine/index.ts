export { resolveContext } from './context.js';
export type { ConsultantContext, ContextOptions } from './context.js';
export type { Engine, EnvironmentInfo, FileValidation, GenerateLayerRequest, GenerateMigrationRequest, ProposalRequest } from './engine.js';
export { chooseService, LocalEngine } from './local-engine.js';
