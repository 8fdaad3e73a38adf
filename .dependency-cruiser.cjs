/**
 * The layering of DESIGN.md, checked on every `npm test` (npm run layering).
 *
 * Each folder may import only the folders listed for it, so the folders form a graph without
 * cycles by construction (a test checks the table itself has none); a folder is entered only
 * through its index.ts, which names its public surface. Type-only imports count: a layer that
 * needs another's types depends on it.
 */
const LAYERS = {
  'src/errors': [],
  'src/source': ['src/errors'],
  'src/config': ['src/errors', 'src/source'],
  'src/policy': ['src/errors', 'src/config'],
  'src/plan': ['src/errors', 'src/source', 'src/config', 'src/policy'],
  'src/db': ['src/errors', 'src/config'],
  'src/generate': ['src/errors', 'src/config', 'src/db'],
  'src/deploy': ['src/errors', 'src/source', 'src/config', 'src/policy', 'src/plan', 'src/db'],
  'src/engine': ['src/errors', 'src/source', 'src/config', 'src/policy', 'src/plan', 'src/db', 'src/generate', 'src/deploy'],
  'src/runtime': ['src/errors', 'src/source', 'src/config', 'src/db', 'src/deploy', 'src/engine'],
  guardrails: ['src/errors', 'src/config'],
  'src/server': ['src/errors', 'src/config', 'src/policy', 'src/plan', 'src/db', 'src/deploy', 'src/engine', 'guardrails'],
  tools: ['src/errors', 'src/source', 'src/config', 'src/plan', 'src/db', 'src/deploy', 'src/engine', 'guardrails'],
  'src/ai': ['src/errors', 'src/config', 'src/plan', 'src/generate', 'src/engine', 'guardrails', 'tools'],
  'src/mcp': ['src/errors', 'src/engine', 'guardrails', 'tools'],
  'src/cli': [
    'src/errors',
    'src/source',
    'src/config',
    'src/policy',
    'src/plan',
    'src/db',
    'src/generate',
    'src/deploy',
    'src/engine',
    'src/runtime',
    'guardrails',
    'tools',
    'src/ai',
    'src/mcp',
    'src/server',
  ],
};

const FOLDERS = Object.keys(LAYERS);
const esc = (s) => s.replace(/[/.]/g, (c) => `\\${c}`);
const anyFolder = `^(${FOLDERS.map(esc).join('|')})/`;

module.exports = {
  forbidden: [
    ...FOLDERS.map((folder) => ({
      name: `layer:${folder}`,
      comment: `${folder} may import only ${LAYERS[folder].join(', ') || 'nothing of Honua'} (DESIGN.md's layout)`,
      severity: 'error',
      from: { path: `^${esc(folder)}/` },
      to: { path: anyFolder, pathNot: [`^${esc(folder)}/`, ...LAYERS[folder].map((f) => `^${esc(f)}/`)] },
    })),
    {
      name: 'enter-through-index',
      comment: 'another folder is entered through its index.ts, which names its public surface',
      severity: 'error',
      from: { path: `${anyFolder}` },
      to: { path: anyFolder, pathNot: ['^$1/', `${anyFolder}index\\.ts$`] },
    },
    {
      name: 'no-circular',
      comment: 'no module depends on itself through others at run time (type-only imports are erased)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'commands-call-the-engine',
      comment:
        'a command parses its options, calls the Engine (over the runtime) and renders: the layers below the engine it uses for types only (plan has the pure helpers rendering needs)',
      severity: 'error',
      from: { path: '^src/cli/(commands|ai)/' },
      to: { path: '^src/(source|db|generate|policy|deploy)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      from: { path: '^(src|tools|guardrails)/' },
      to: { path: '^(test|bench|evals)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|tools|guardrails)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

// Not part of dependency-cruiser's schema: the table, for the test that checks it has no cycle.
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
