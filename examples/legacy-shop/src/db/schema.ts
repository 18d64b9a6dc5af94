import { integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export interface LineItem {
  productId: number;
  quantity: number;
  priceCents: number;
}

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  salt: text('salt').notNull(),
  passwordHash: text('password_hash').notNull(),
});

export const categories = pgTable('categories', {
  slug: text('slug').primaryKey(),
  title: text('title').notNull(),
});

export const products = pgTable('products', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  priceCents: integer('price_cents').notNull(),
  stock: integer('stock').notNull(),
  imagePath: text('image_path'),
});

export const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull(),
  items: jsonb('items').$type<LineItem[]>().notNull(),
  shipping: text('shipping').notNull(),
  totalCents: integer('total_cents').notNull(),
  status: text('status').notNull().default('placed'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const carts = pgTable('carts', {
  userId: integer('user_id').primaryKey(),
  items: jsonb('items').$type<LineItem[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type User = typeof users.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Order = typeof orders.$inferSelect;

// Plain SQL so start-up needs no migration tool; mirrors the tables above.
export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS users (
     id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL,
     salt text NOT NULL, password_hash text NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS categories (slug text PRIMARY KEY, title text NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS products (
     id serial PRIMARY KEY, name text NOT NULL, category text NOT NULL,
     price_cents integer NOT NULL, stock integer NOT NULL, image_path text)`,
  `CREATE TABLE IF NOT EXISTS orders (
     id serial PRIMARY KEY, user_id integer NOT NULL, items jsonb NOT NULL, shipping text NOT NULL,
     total_cents integer NOT NULL, status text NOT NULL DEFAULT 'placed',
     created_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS carts (
     user_id integer PRIMARY KEY, items jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
];
