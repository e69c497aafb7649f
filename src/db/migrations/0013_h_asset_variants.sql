-- Derived images (a width and a format of a stored image) are kept to answer the next request at
-- once. Each stored one is recorded here so that one image holds a bounded number of them (issue 13:
-- a public link once reached every ?w= and ?format= combination, thousands per image).
CREATE TABLE asset_variants (
  name        text PRIMARY KEY,
  sha256      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX asset_variants_sha256_idx ON asset_variants (sha256);
