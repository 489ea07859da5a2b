-- The IAM API's entities. Names are unique per account regardless of case, as IAM's are
-- ("names are not distinguished by case"), and keep the case they were created with.
-- No foreign keys with actions: users.put is INSERT OR REPLACE, whose delete would cascade.

ALTER TABLE users ADD COLUMN permissions_boundary TEXT;
ALTER TABLE users ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
CREATE INDEX users_boundary ON users(permissions_boundary) WHERE permissions_boundary IS NOT NULL;
CREATE INDEX access_keys_user ON access_keys(account_id, user_name);

CREATE TABLE iam_groups (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL COLLATE NOCASE,
  group_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, group_name)
);

CREATE TABLE iam_group_members (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL COLLATE NOCASE,
  user_name TEXT NOT NULL COLLATE NOCASE,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, group_name, user_name)
);
CREATE INDEX iam_group_members_user ON iam_group_members(account_id, user_name);

CREATE TABLE iam_roles (
  account_id TEXT NOT NULL,
  role_name TEXT NOT NULL COLLATE NOCASE,
  role_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  assume_role_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration INTEGER NOT NULL,
  permissions_boundary TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (account_id, role_name)
);
CREATE INDEX iam_roles_boundary ON iam_roles(permissions_boundary) WHERE permissions_boundary IS NOT NULL;

-- Customer managed policies; a policy's name is unique in its account whatever its path.
CREATE TABLE iam_policies (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  policy_name TEXT NOT NULL COLLATE NOCASE,
  policy_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  description TEXT,
  default_version_id TEXT NOT NULL,
  next_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  UNIQUE (account_id, policy_name)
);

CREATE TABLE iam_policy_versions (
  policy_arn TEXT NOT NULL,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);

-- Inline policies of users, groups and roles (kind: user | group | role).
CREATE TABLE iam_inline_policies (
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  principal_name TEXT NOT NULL COLLATE NOCASE,
  policy_name TEXT NOT NULL COLLATE NOCASE,
  document TEXT NOT NULL,
  PRIMARY KEY (account_id, kind, principal_name, policy_name)
);

-- Managed policies attached to users, groups and roles.
CREATE TABLE iam_attachments (
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  principal_name TEXT NOT NULL COLLATE NOCASE,
  policy_arn TEXT NOT NULL,
  attached_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, kind, principal_name, policy_arn)
);
CREATE INDEX iam_attachments_policy ON iam_attachments(policy_arn);
