import { z } from 'zod';

/** Output pieces several tools share. */
export const ProblemOut = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  hint: z.string().optional(),
  environment: z.string().optional(),
});

export const FileValidationOut = z.object({
  valid: z.boolean().describe('No errors in the generated files.'),
  repositoryValid: z.boolean(),
  problems: z.array(ProblemOut),
  otherErrors: z.number().int().describe('Errors elsewhere in the repository, present before this change.'),
});

export const GeneratedFileOut = z.object({
  path: z.string(),
  content: z.string().describe('The file, wrapped as untrusted data (it quotes names and comments read from the database).'),
});

export const problemOut = (p: { severity: 'error' | 'warning'; code: string; message: string; file?: string | undefined; line?: number | undefined; hint?: string | undefined; environment?: string | undefined }) => ({
  severity: p.severity,
  code: p.code,
  message: p.message,
  ...(p.file ? { file: p.file } : {}),
  ...(p.line !== undefined ? { line: p.line } : {}),
  ...(p.hint ? { hint: p.hint } : {}),
  ...(p.environment ? { environment: p.environment } : {}),
});

export const Environments = z.array(z.string()).optional().describe('Environments (development, staging, production; dev/stage/prod also work). Default: all.');
