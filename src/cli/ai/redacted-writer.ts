import type { Redactor } from '../../../guardrails/index.js';

/**
 * A model's streamed answer, written through the session's redactor. A secret can be split
 * across two chunks of a stream, so text is held back until a line is complete (or `flush`),
 * then redacted whole: the answer still appears line by line as it arrives.
 */
export interface RedactedWriter {
  write(text: string): void;
  flush(): void;
}

export function redactedWriter(write: (text: string) => void, redactor: Redactor): RedactedWriter {
  let pending = '';
  return {
    write(text) {
      pending += text;
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      write(redactor.text(pending.slice(0, end + 1)));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (pending) write(redactor.text(pending));
      pending = '';
    },
  };
}
