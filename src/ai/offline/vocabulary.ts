
/**
 * The offline planner's vocabulary: the words and patterns the intent rules recognize. New
 * phrasings are usually a word added to a list here, not a new rule.
 */

/** Environment names and aliases understood in requests; canonicalEnvironment normalizes them. */
const ENV_WORDS = ['dev', 'develop', 'development', 'stage', 'stg', 'staging', 'prod', 'prd', 'production', 'qa', 'uat', 'preprod', 'sandbox'];
export const ENV = `(?:${ENV_WORDS.join('|')})`;
export const isEnvWord = (w: string): boolean => ENV_WORDS.includes(w.toLowerCase());

/** Words that end a noun phrase: prepositions, conjunctions, relative pronouns, auxiliaries. */
export const BOUNDARY = new Set([
  'as', 'through', 'via', 'using', 'over', 'with', 'which', 'that', 'so', 'because', 'to', 'into', 'onto', 'in', 'under',
  'on', 'for', 'from', 'and', 'or', 'but', 'then', 'if', 'when', 'where', 'is', 'are', 'was', 'were', 'has', 'have', 'had',
  'should', 'would', 'could', 'can', 'will', 'must', 'it', 'by', 'at', 'available', 'visible', 'accessible',
  'published', 'exposed', 'served', 'online', 'please', 'too', 'also', 'thanks', 'do', 'does', 'did', 'look',
  'looks', 'queries', 'query', 'lookups', 'searches', 'requests', 'called', 'named', 'like', 'within', 'inside', 'against',
  'faster', 'quicker', 'slow', 'slower', 'really', 'very', 'contain', 'contains', 'hold', 'holds', 'store', 'stores', 'need',
  'needs', 'lack', 'lacks', 'got', 'yet', 'already', 'load', 'loads', 'loading', 'render', 'renders', 'rendering', 'draw',
  'draws', 'takes', 'take', 'indexed', 'empty', 'partitioned', 'valid',
]);

/** Words dropped from the front of a table phrase. */
export const DETERMINERS = new Set([
  'the', 'a', 'an', 'our', 'my', 'your', 'their', 'this', 'that', 'these', 'those', 'some', 'new', 'existing', 'entire',
  'whole', 'all', 'its', 'me', 'us', 'another', 'same', 'current', 'table', 'view', 'layer', 'dataset',
]);

/** Words dropped from the end of a table phrase: they say what kind of thing it is, not which. */
export const TRAILING_NOUNS = new Set([
  'table', 'tables', 'view', 'views', 'data', 'dataset', 'datasets', 'layer', 'layers', 'features', 'feature', 'info',
  'information', 'records', 'rows', 'collection', 'stuff', 'geometry', 'geometries', 'geom', 'map', 'columns', 'fields',
  'schema', 'structure', 'public',
]);

/** A phrase made only of these does not name a table ("the data", "our PostGIS database", "it"). */
export const GENERIC = new Set([
  'it', 'them', 'this', 'that', 'one', 'something', 'anything', 'everything', 'data', 'table', 'tables', 'layer', 'layers',
  'database', 'databases', 'db', 'schema', 'schemas', 'geometry', 'geom', 'column', 'columns', 'postgis', 'postgres',
  'postgresql', 'ogc', 'api', 'new', 'map', 'me', 'us', 'public', 'spatial', 'index', 'gist', 'config', 'configuration',
  'server', 'source', 'sources', 'here', 'there', 'what', 'which', 'all', 'stuff', 'field', 'fields', 'of', 'environment',
  'environments', 'env', 'envs', 'service', 'services', 'a', 'the', 'our', 'my', 'you', 'honua', 'whole', 'entire', 'sql',
  'we', 'i', 'have', 'got', 'available', 'queries', 'query',
]);

/**
 * Objects of add/create/make that are not tables to publish: adding one of these is a change
 * the offline planner does not make (schema changes need a migration, environments and services
 * are configuration of their own).
 */
export const NOT_PUBLISHABLE = new Set([
  'column', 'field', 'attribute', 'index', 'migration', 'user', 'role', 'approver', 'policy', 'environment', 'env', 'service',
  'datasource', 'connection', 'backup', 'comment', 'description', 'title', 'constraint', 'key', 'trigger', 'schema', 'database',
  'plan', 'deployment', 'branch', 'poem', 'story', 'joke', 'song', 'summary', 'report', 'alert', 'notification', 'webhook',
  'check', 'test', 'permission', 'grant', 'password', 'secret', 'rule', 'window', 'extension', 'sequence', 'function', 'email',
]);

/** Verbs that mean "publish" on their own: "publish parks", "expose the zoning table". */
export const PUBLISH_VERBS = ['publish', 'expose', 'serve', 'share', 'host', 'offer', 'surface'];
/** Verbs that mean "publish" when the request is about layers, tables or data: "add parks", "create a layer from X". */
export const ADD_VERBS = ['add', 'create', 'make', 'register', 'set up', 'setup', 'configure', 'put', 'include', 'bring in', 'bring', 'pull in', 'load', 'get', 'onboard', 'wire up', 'hook up', 'turn'];
/** Context words that make a weak add verb about publishing. */
export const LAYER_CONTEXT = /\b(?:layers?|tables?|views?|data|datasets?|ogc|api|features?|wfs|wms|maps?|service|collections?|postgis|geometry|geojson)\b/i;

export const SLOW = /\b(?:slow|slowly|sluggish|laggy|lag|lags|speed up|faster|takes forever|timing out|times out|performance|perf)\b/i;
export const INDEX_WORD = /\b(?:index|indexes|indices|indexed|indexing)\b/i;
export const SPATIAL_WORD = /\b(?:spatial|gist|spgist|sp-gist|brin|geometry|geometries|geom|geography|geospatial|bbox|bounding)\b/i;
export const GEOMETRY_COLUMN = /^(?:geom|the_geom|geometry|geog|geography|shape|wkb_geometry|location|point|pt|coords?|position|footprint|boundary|centroid|\w+_geom|geom_\w+|\w+_geog|\w+_point|\w+_location|\w+_shape)$/i;
/** Column words that mean "its geometry column", not a column with that name. */
export const GENERIC_COLUMN = new Set(['geometry', 'spatial', 'geo', 'geographic', 'the', 'a', 'its', 'that', 'this']);
export const HYPOTHETICAL = /\b(?:would|will|if|happen|happens|plan|preview|dry[- ]?run|before)\b/i;
export const QUESTION_START = /^(?:which|what|does|do|is|are|list|show|how many|where|why|who|did|has|have|can|could)\b/i;
export const ACTION_VERB = /\b(?:add|create|build|make|need|want|set up|setup|put|fix|speed up|generate|write|give)\b/i;
