/**
 * Every error code Honua raises, in one typed table: whose fault it is by default (user, system,
 * model), the exit code a command ends with, the HTTP status the admin API answers with, and
 * what it means. `HonuaError` takes only codes from here, so a code is a checked constant, not a
 * string that may drift; a test walks the table (and docs/cli.md lists it).
 *
 * Exit codes follow DESIGN.md: 1 failed, 2 usage error (the command line or a name given on it
 * was wrong), 3 blocked. HTTP: 400 a bad request, 404 a name that does not exist, 409 a conflict
 * with what exists, 413 too large, 429 too many, 422 a request that is well-formed but not acceptable, 423
 * locked, 500/502/503 Honua's or a dependency's fault.
 */
import type { Fault } from './fault.js';

interface ErrorInfo {
  fault: Fault;
  exit: 1 | 2 | 3;
  http: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 429 | 500 | 502 | 503;
  summary: string;
}

const user = (summary: string, http: ErrorInfo['http'] = 422, exit: ErrorInfo['exit'] = 1): ErrorInfo => ({ fault: 'user', exit, http, summary });
const usage = (summary: string, http: ErrorInfo['http'] = 400): ErrorInfo => ({ fault: 'user', exit: 2, http, summary });
const model = (summary: string, http: ErrorInfo['http'] = 400): ErrorInfo => ({ fault: 'model', exit: 1, http, summary });
const system = (summary: string, http: ErrorInfo['http'] = 500): ErrorInfo => ({ fault: 'system', exit: 1, http, summary });

export const ERROR_CODES = {
  // The command line and names given on it
  'bad-duration': usage('A duration option cannot be parsed.'),
  'bad-mode': usage('--mode is not read-only, propose or operate.'),
  'bad-kind': usage('--kind is not a migration kind the generator writes.'),
  'bad-number': usage('A number option is not a (positive) whole number.'),
  'bad-port': usage('--port is not a port number.'),
  'bad-time': usage('--at or --last-deployment is not an ISO 8601 time.'),
  'bad-transport': usage('--transport is not stdio or http.'),
  'conflicting-options': usage('Options that cannot go together were given together.'),
  'empty-request': usage('honua-ai ask was given no request.'),
  'missing-option': usage('A required option is missing.'),
  'bad-argument': usage('A command-line argument is missing or not one the command takes.'),
  'same-environment': usage('Both sides of a comparison are the same environment.'),
  'token-file-unreadable': usage('The --token-file cannot be read.'),
  'token-on-command-line': usage('A secret was given on the command line, where every user can read it.'),
  'unknown-schema': usage('honua schema --name names no schema.', 404),
  'repo-not-found': usage('No config repository at the given place.', 404),
  'unknown-environment': usage('The environment has no folder under environments/.', 404),
  'unknown-ref': usage('git cannot find the commit, branch or tag.', 404),
  'ambiguous-ref': usage('A name answers to two refs that point at different commits.', 409),
  'unknown-datasource': usage('The environment has no datasource of that name.', 404),
  'ambiguous-datasource': usage('The environment has several datasources; one must be picked.', 409),
  'no-config-repo': usage('The command needs a config repository and there is none.', 404),
  'not-a-git-repo': usage('The config repository is not a git repository (so --ref, --against or a proposal cannot be read or made).', 422),
  'no-commits': user('The git repository has no commits yet.', 422),

  // Configuration
  'config-invalid': user('The configuration has errors; the command cannot go on.', 422),
  'no-datasource': user('The environment has no datasource.', 422),
  'secret-missing': user('A secret the configuration names (environment variable, file) is not there.', 422),
  'no-environments': user('The repository defines no environment.', 422),

  // The database
  'db-connect-failed': system('The database cannot be reached.', 503),
  'embedded-in-use': user('Another process has the embedded database open.', 423),
  'embedded-open-failed': system('The embedded database cannot be opened.', 500),
  'sample-missing': system('The sample city files are missing from the installation.', 500),
  'unknown-table': user('The database has no table or view of that name.', 404),
  'ambiguous-table': user('A table name is in several schemas.', 409),
  'unsafe-sql': model('SQL that is not one read-only SELECT was refused.', 400),
  'read-only-engine': model("The consultant's engine reads the database and never changes it.", 403),
  'sql-syntax': user('SQL does not parse.', 422),
  'migration-locked': user('Another migration runner holds the lock.', 423),
  'migration-failed': system('A migration step failed; it was rolled back.', 500),
  'migration-drift': user('An applied migration was changed since it was applied.', 409),
  'migration-sql-invalid': user("A migration step's SQL does not parse.", 422),
  'migration-transaction-control': user('A migration step manages its own transaction (BEGIN/COMMIT).', 422),
  'precondition-failed': user("A migration's precondition is not met.", 422),
  'validation-failed': user("A migration's post-up validation failed.", 422),
  'irreversible-migration': user('A migration has no down steps to revert with.', 422),
  'invalid-index': system('A CONCURRENTLY index build left an invalid index.', 500),
  'unknown-migration': user('No migration of that id or name.', 404),
  'backup-not-found': user('No backup of that id.', 404),
  'backup-corrupt': system('A backup does not match its manifest.', 500),
  'backup-kind-mismatch': user('A backup is of another kind of database than the target.', 409),
  'backup-failed': system('pg_dump (or the copy) failed.', 502),
  'restore-failed': system('pg_restore (or the copy) failed.', 502),
  'pg-tools-missing': system("pg_dump/pg_restore of the server's version are not installed.", 500),

  // Deployments
  'illegal-transition': system('A deployment was asked to move between states the transition table does not join.', 500),
  'environment-busy': user('Another process is changing the environment (it holds the lease).', 423),
  'lease-lost': system("The process lost the environment's lease to another while it worked; it wrote nothing.", 409),
  'stale-revision': system('What was read changed before it could be written; nothing was written.', 409),
  'state-store-failed': system('The state store cannot be read or written.', 500),
  'state-store-unavailable': user('The configured state store cannot be used from here.', 422),
  'deployment-not-found': user('No deployment of that id.', 404),
  'snapshot-not-found': system('A deployment names a snapshot the store does not have.', 500),
  'commit-quarantined': user('The commit was rolled back before; it is not deployed again without --force.', 409),
  'auto-approve-refused': user("--auto-approve was given where the policy requires a person's approval.", 403),
  'deployment-denied': user('The policy forbids the change.', 403),
  'not-awaiting-approval': user('The deployment is not waiting for an approval.', 409),
  'not-an-approver': user("The person is not among the policy's approvers.", 403),
  'four-eyes': user('The author or the requester of a change cannot approve it.', 403),
  'already-approved': user('The person has approved this deployment already.', 409),
  'approval-expired': user('The approval timeout passed; the deployment expired.', 409),
  unauthenticated: user("The action needs a person's identity: a token from the users file.", 401),
  'unknown-token': user('The token belongs to no user in the users file.', 401),
  'user-exists': usage('A user of that name exists.', 409),
  'bad-user': usage("A user's name, email, team or role is not valid."),
  'unknown-user': usage('No user of that name.', 404),
  'users-file-invalid': user('The users file does not parse.', 422),
  'nothing-to-roll-back': user('There is no earlier deployment to roll back to.', 409),
  'not-for-production': usage('dev apply deploys a working tree; production takes commits only.'),
  'verification-failed': user('Post-deployment checks failed.', 422),
  'unknown-layer': usage('The environment has no layer of that name.', 404),
  'rollback-failed': system('The rollback could not bring the environment back; it needs a person.', 500),

  // Generators
  'already-in-migration': user('A migration of the repository already creates what was asked.', 409),
  'layer-exists': user('The environment already has a layer of that name.', 409),
  'table-already-published': user('The table is already published as a layer.', 409),
  'table-exists': user('The table exists already.', 409),
  'column-exists': user('The column exists already.', 409),
  'index-exists': user('The geometry column has a spatial index already.', 409),
  'no-geometry-column': user('The table has no geometry or geography column.', 422),
  'no-primary-key': user('A table without a single-column key needs an id field named.', 422),
  'composite-primary-key': user('A composite primary key cannot be a feature id.', 422),
  'no-fields': user('The table has no columns besides its geometry.', 422),
  'not-a-table': user('The relation is a view or another kind that cannot take this change.', 422),
  'unknown-column': user('The table has no column of that name.', 404),
  'unknown-srid': user('The geometry column declares no SRID.', 422),
  'srid-mismatch': user("The SRID given differs from the column's.", 422),
  'unknown-service': user('The environment has no service of that name.', 404),
  'no-service': user('The repository has no service to publish a layer in.', 422),
  'service-required': user('Which service publishes the layer is not clear; name it.', 422),
  'not-null-without-default': user('A NOT NULL column without a default fails on a table with rows.', 422),
  'volatile-default': user('A volatile default would rewrite the whole table.', 422),
  'bad-identifier': model('A name is not a plain SQL identifier.', 400),
  'bad-type': model('A column type does not parse as one type name.', 400),
  'bad-default': model('A column default is not one constant expression.', 400),
  'bad-geometry-type': model('Not a PostGIS geometry type.', 400),
  'bad-srid': model('An SRID is not a positive integer.', 400),
  'bad-columns': usage('--columns cannot be parsed.'),
  'duplicate-column': model('A column is listed twice.', 400),
  'generated-sql-mismatch': model('Generated SQL held statements other than those meant.', 400),
  'missing-argument': model('A tool call lacks an argument it needs.', 400),
  'file-exists': usage('A file to write exists already (use --force).', 409),

  // Proposals and git
  'bad-branch-name': model('The branch name is not an acceptable proposal branch.', 400),
  'branch-exists': model('A branch of that name exists.', 409),
  'branch-shadows-ref': model('The branch name already resolves to a ref.', 409),
  'proposal-exists': user('The same proposal exists already, unchanged.', 409),
  'bad-proposal-path': model('A proposed path is outside the config folders or not a config file.', 400),
  'bad-proposal-content': model('A proposed file is not text.', 400),
  'bad-commit-message': model('The commit message is empty, too long or has control characters.', 400),
  'proposal-too-large': model('The proposal has too many or too large files.', 413),
  'duplicate-file': model('A path appears twice in a proposal.', 400),
  'empty-proposal': model('A proposal has no files.', 400),
  'nothing-to-propose': model('Every proposed file already has that content.', 409),
  'proposal-invalid': model('The proposed files do not validate.', 422),
  'redacted-secret': model('A proposed file holds the placeholder of a secret that cannot be put back.', 422),
  'symlink-in-path': user('A symbolic link sits where a proposal would write.', 422),
  'submodule-in-path': user('A submodule sits where a proposal would write.', 422),
  'repository-moved': system('The repository moved between preparing and making a proposal.', 409),
  'push-failed': system('The push to origin failed; the proposal was withdrawn.', 502),
  'proposal-failed': system("git could not make the proposal's commit or branch.", 500),
  'unknown-draft': model('No draft of that id in the session.', 404),
  'bad-path': model('A path is outside the config repository.', 400),
  'file-not-found': model('No config file at that path.', 404),
  'git-failed': system('A git command failed.', 502),

  // Pull requests (GitHub, GitHub Enterprise)
  'github-unauthorized': user('GitHub refused the token (missing, expired or revoked).', 401),
  'github-forbidden': user('The token may not do this on the repository (scopes, permissions, SSO).', 403),
  'github-not-found': user('GitHub does not know the repository, branch or pull request (or the token cannot see it).', 404),
  'github-rate-limited': { fault: 'user', exit: 3, http: 429, summary: "GitHub's rate limit is spent; try again after the reset time." },
  'github-error': system('GitHub answered with an error or did not answer.', 502),
  'pull-request-exists': user('A pull request from that branch is open already.', 409),
  'no-github-remote': user('The origin remote is not on GitHub and no --github-repo names a repository.', 422),
  'no-github-token': user('No GITHUB_TOKEN or GH_TOKEN to open the pull request with.', 422),
  'unknown-pull-request': usage('No pull request of that number.', 404),

  // Promotions, schedules and reviews
  'bad-schedule': usage('--schedule or --window cannot be read as a time.'),
  'outside-window': user("The time asked for is outside every window of the environment's policy.", 422),
  'nothing-to-promote': user('The target environment already has what the source environment has.', 409),
  'promotion-blocked': {
    fault: 'user',
    exit: 3,
    http: 409,
    summary: 'The source environment failed or rolled back since the change went live; promoting it is refused.',
  },
  'unknown-review-target': usage('The review target is not a deployment, branch or pull request.', 404),

  // The consultant and its providers
  'unknown-tool': model('No tool of that name.', 404),
  'invalid-arguments': model("A tool call's arguments do not match its input schema.", 400),
  denied: model("The session's mode does not allow the tool.", 403),
  'not-confirmed': user('The person did not confirm the tool call.', 403),
  cancelled: user('The person cancelled before the call ran.', 409),
  'tool-call-limit': model('A turn reached its limit of tool calls.', 429),
  'provider-error': system('The model provider failed.', 502),
  'provider-unknown': usage('--provider names an unknown provider.'),
  'provider-not-configured': user('The chosen provider has no key or endpoint configured.', 422),
  'ai-config-invalid': user('$HONUA_HOME/ai.yaml is not valid.', 422),
  'ai-config-unreadable': user('$HONUA_HOME/ai.yaml cannot be read.', 422),
  'unknown-transcript': usage('No saved conversation of that id.', 404),
  'bad-transcript': system('A saved conversation is damaged.', 500),

  // Servers
  'listen-failed': user('The server cannot listen on the address or port.', 409),
  'weak-token': user('The bearer token is shorter than 32 characters.', 422),
  'body-too-large': user("An HTTP request body is over the server's limit.", 413),
  'body-not-json': user('An HTTP request body is not JSON.', 400),
  'bad-request': user('An HTTP request body or parameter is not what the endpoint takes.', 400),
  'server-unreachable': system('The Honua server (--server, $HONUA_SERVER) does not answer.', 502),
  'server-error': system('The Honua server answered with an error of its own.', 502),
  'not-over-admin-api': usage('The command cannot run through the admin API; run it where the repository is.', 400),
  'not-an-operator': user('The action needs a person with the admin or operator role.', 403),
  'nothing-to-serve': user('The environment has no active snapshot and no configuration to serve.', 404),

  // Honua itself
  'package-root-missing': system("The installation's files cannot be found.", 500),
  'internal-error': system('A bug in Honua.', 500),
} as const satisfies Record<string, ErrorInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorInfo = (code: ErrorCode): ErrorInfo => ERROR_CODES[code];

export const errorCodes = (): ErrorCode[] => Object.keys(ERROR_CODES) as ErrorCode[];
