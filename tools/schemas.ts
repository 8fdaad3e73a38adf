import { z } from 'zod';
import { type Problem, ProblemSchema } from '../src/config/index.js';
import { FileValidationSchema } from '../src/engine/index.js';

/** Output pieces several tools share, cut from the Engine's contract (what a model needs of a problem). */
export const ProblemOut = ProblemSchema.pick({ severity: true, code: true, message: true, file: true, line: true, hint: true, environment: true });

export const FileValidationOut = FileValidationSchema.extend({ problems: z.array(ProblemOut) });

export const GeneratedFileOut = z.object({
  path: z.string(),
  content: z.string().describe('The file, wrapped as untrusted data (it quotes names and comments read from the database).'),
});

export const problemOut = (p: Problem): z.infer<typeof ProblemOut> => ({
  severity: p.severity,
  code: p.code,
  message: p.message,
  ...(p.file ? { file: p.file } : {}),
  ...(p.line !== undefined ? { line: p.line } : {}),
  ...(p.hint ? { hint: p.hint } : {}),
  ...(p.environment ? { environment: p.environment } : {}),
});

export const Environments = z.array(z.string()).optional().describe('Environments (development, staging, production; dev/stage/prod also work). Default: all.');
