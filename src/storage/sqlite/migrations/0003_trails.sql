-- CloudTrail trails, one row in the trail's home region. The document holds the domain record;
-- a multi-region trail's shadows in other regions are readings of this row, not rows.
CREATE TABLE trails (
  account_id TEXT NOT NULL,
  home_region TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  is_multi_region INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, home_region, name)
);
