export { mapColumnType, SQL_TYPES } from './field-types.js';
export type { MappedType } from './field-types.js';
export { GenerateError, generateLayer, isoSeconds, layerGeometryType, qualifiedTable, sqlIdent } from './layer.js';
export type { GeneratedFile, GeneratedLayer, GenerateLayerOptions, LayerTarget } from './layer.js';
export { addColumnMigration, addTableMigration, nextMigration, spatialIndexMigration } from './migration.js';
export type { ColumnSpec, ExistingMigration, GeneratedMigration, MigrationBase, NewTableSpec } from './migration.js';
export { fieldAlias, resourceName, titleCase } from './names.js';
