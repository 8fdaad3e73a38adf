import inquirer from 'inquirer';
import { type Confirmer, renderConfirmation } from '../../../guardrails/index.js';

/**
 * Asks the person at the terminal (inquirer) before a propose or operate call. Ctrl-C at the
 * prompt is a no. `--yes` (assumeYes) is layered on top for proposals only.
 */
export function terminalConfirmer(user: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Confirmer {
  return {
    kind: 'terminal',
    async confirm(request) {
      try {
        // The facts first, then a short question: the prompt line itself holds nothing from outside.
        output.write(`\n${renderConfirmation(request)}\n`);
        const prompt = inquirer.createPromptModule({ input, output });
        const { allow } = await prompt<{ allow: boolean }>([
          { type: 'confirm', name: 'allow', message: `${request.toolClass === 'operate' ? 'OPERATE: allow' : 'Allow'} ${request.tool}?`, default: false },
        ]);
        const yes = allow;
        return yes ? { confirmed: true, by: `${user} (terminal)` } : { confirmed: false, reason: 'the person said no', by: `${user} (terminal)` };
      } catch {
        return { confirmed: false, reason: 'the confirmation was cancelled' };
      }
    },
  };
}
