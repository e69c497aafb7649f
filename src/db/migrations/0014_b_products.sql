-- The assistant's catalog: products with their size chart and fit, customers and their purchases.
-- size_chart is json (not jsonb) so the shop's size order (S, M, L…) survives.
CREATE TABLE products (
  sku        text PRIMARY KEY,
  name       text NOT NULL,
  category   text NOT NULL DEFAULT '',
  attributes jsonb NOT NULL DEFAULT '{}',
  images     jsonb NOT NULL DEFAULT '[]',
  size_chart json NOT NULL DEFAULT '{}',
  fit        text NOT NULL DEFAULT 'regular' CHECK (fit IN ('slim', 'regular', 'loose')),
  notes      text NOT NULL DEFAULT '',
  price      double precision,
  currency   text NOT NULL DEFAULT 'CNY',
  stock      integer,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_name_idx ON products (lower(name));
CREATE INDEX products_category_idx ON products (category, sku);

CREATE TABLE customers (
  id           text PRIMARY KEY,
  name         text NOT NULL DEFAULT '',
  usual_size   text,
  measurements jsonb NOT NULL DEFAULT '{}',
  height_cm    double precision,
  weight_kg    double precision,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE purchases (
  id           uuid PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  sku          text NOT NULL,
  size         text NOT NULL,
  purchased_at timestamptz NOT NULL,
  feedback     text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX purchases_customer_idx ON purchases (customer_id, purchased_at DESC, id);
CREATE INDEX purchases_sku_idx ON purchases (sku);
