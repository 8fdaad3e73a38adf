/** Approver references in policies: team:<name>, role:<name>, user:<name>, group:<name>, or an email. */
export interface Approver {
  type: 'team' | 'role' | 'user' | 'group';
  name: string;
}

const REF = /^(team|role|user|group):([A-Za-z0-9][\w.@+-]*)$/;
const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

export function parseApprover(text: string): Approver | undefined {
  const s = text.trim();
  const m = REF.exec(s);
  if (m) return { type: m[1] as Approver['type'], name: m[2] ?? '' };
  if (EMAIL.test(s)) return { type: 'user', name: s.toLowerCase() };
  return undefined;
}

export const formatApprover = (a: Approver): string => `${a.type}:${a.name}`;
