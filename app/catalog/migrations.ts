/**
 * The catalog's schema history. Append only: a released migration is never edited,
 * because catalogs in the field have already applied it.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'repositories',
    sql: `
      CREATE TABLE repositories (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        location TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'backups, jobs and sessions',
    sql: `
      CREATE TABLE backups (
        repository_id TEXT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        backup_id TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        encrypted INTEGER NOT NULL,
        created TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        readable INTEGER NOT NULL,
        workloads TEXT NOT NULL,
        scanned_at TEXT NOT NULL,
        PRIMARY KEY (repository_id, folder)
      );
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        definition TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
        job_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        result TEXT,
        bytes_read INTEGER NOT NULL DEFAULT 0,
        bytes_new INTEGER NOT NULL DEFAULT 0,
        bytes_stored INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX sessions_by_job ON sessions (job_id, started_at);
      CREATE TABLE session_tasks (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        workload TEXT NOT NULL,
        result TEXT NOT NULL,
        reason TEXT,
        point_id TEXT,
        bytes_read INTEGER NOT NULL DEFAULT 0,
        bytes_new INTEGER NOT NULL DEFAULT 0,
        bytes_stored INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, workload)
      );
      CREATE TABLE session_log (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX session_log_by_session ON session_log (session_id, at);
    `,
  },
  {
    version: 3,
    name: 'the job a backup was made by; the engine process running a session',
    sql: `
      ALTER TABLE backups ADD COLUMN job_id TEXT;
      ALTER TABLE sessions ADD COLUMN engine_pid INTEGER;
    `,
  },
  {
    version: 4,
    name: 'the damaged files of a backup found by its last scan',
    sql: `ALTER TABLE backups ADD COLUMN damaged TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 5,
    name: 'bandwidth limits above the 100 GiB/s that may now be set are stored as that maximum',
    // Values above it limited nothing, and no longer parse: a job or the traffic rules holding one would not load.
    sql: `
      UPDATE jobs SET definition = json_set(definition, '$.dataPath.throttleBytesPerSecond', 107374182400)
        WHERE json_extract(definition, '$.dataPath.throttleBytesPerSecond') > 107374182400;
      UPDATE settings SET value = (
          SELECT json_group_array(json(CASE WHEN json_extract(rule.value, '$.bytesPerSecond') > 107374182400
            THEN json_set(rule.value, '$.bytesPerSecond', 107374182400) ELSE rule.value END))
          FROM json_each(settings.value) AS rule)
        WHERE key = 'traffic.rules' AND json_valid(value) AND json_type(value) = 'array';
    `,
  },
  {
    version: 6,
    name: 'the scheduler: per job the scheduled time last served, retries, status; per copy job and workload the interval served',
    sql: `
      CREATE TABLE IF NOT EXISTS schedule_jobs (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        schedule TEXT NOT NULL,
        since TEXT NOT NULL,
        retries_left INTEGER NOT NULL DEFAULT 0,
        retry_at TEXT,
        fingerprint TEXT,
        status TEXT NOT NULL DEFAULT 'idle',
        next_run TEXT
      );
      CREATE TABLE IF NOT EXISTS schedule_workloads (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        workload TEXT NOT NULL,
        interval_start TEXT NOT NULL,
        copied_point TEXT,
        reason TEXT,
        PRIMARY KEY (job_id, workload)
      );
    `,
  },
  {
    version: 7,
    name: 'per job, what its maintenance remembers between runs (when a workload left it, the last health check)',
    sql: `
      CREATE TABLE IF NOT EXISTS job_state (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (job_id, key)
      );
    `,
  },
  {
    version: 8,
    name: 'repositories remembered after their removal (adding the place again gives their id back), and their size over time',
    sql: `
      CREATE TABLE IF NOT EXISTS repository_markers (
        repository_id TEXT PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
        marker_id TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS removed_repositories (
        id TEXT PRIMARY KEY,
        location TEXT NOT NULL,
        marker_id TEXT,
        is_default INTEGER NOT NULL,
        removed_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS repository_usage (
        repository_id TEXT NOT NULL,
        at TEXT NOT NULL,
        stored_bytes INTEGER NOT NULL,
        free_bytes INTEGER,
        total_bytes INTEGER,
        PRIMARY KEY (repository_id, at)
      );
    `,
  },
  {
    version: 9,
    name: 'the transfer rate of each session over its run: bytes moved so far, sampled',
    sql: `
      CREATE TABLE IF NOT EXISTS session_rate (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS session_rate_by_session ON session_rate (session_id, at);
    `,
  },
];
