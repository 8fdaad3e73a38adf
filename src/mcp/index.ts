export * from './elicitation-confirmer.js';
export * from './http.js';
export * from './server.js';
export * from './tool-definitions.js';
