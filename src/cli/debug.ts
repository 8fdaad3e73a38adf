/** Whether HONUA_DEBUG asks for more: `1`, `true`, `yes` or `on` in any case; anything else is off. */
export const debugEnabled = (env: NodeJS.ProcessEnv): boolean => /^(1|true|yes|on)$/i.test(env.HONUA_DEBUG ?? '');
