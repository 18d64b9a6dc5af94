import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const members = pgTable('members', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  joinedAt: timestamp('joined_at').notNull().defaultNow(),
});

export const plots = pgTable('plots', {
  id: serial('id').primaryKey(),
  label: text('label').notNull(),
  size: text('size').notNull(),
  holderId: integer('holder_id').notNull().references(() => members.id),
  createdAt: timestamp('created_at').notNull().defaultNow(),
});

export const photos = pgTable('photos', {
  id: serial('id').primaryKey(),
  plotId: integer('plot_id').notNull().references(() => plots.id),
  fileName: text('file_name').notNull(),
  caption: text('caption').notNull().default(''),
  takenBy: integer('taken_by').notNull().references(() => members.id),
});

export type Member = typeof members.$inferSelect;
export type Plot = typeof plots.$inferSelect;
export type Photo = typeof photos.$inferSelect;
