export { GenerateError } from '../errors/index.js';
