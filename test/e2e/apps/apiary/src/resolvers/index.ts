import { Hive } from './Hive';
import { Inspection } from './Inspection';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { Subscription } from './Subscription';

export const resolvers = { Query, Mutation, Subscription, Hive, Inspection };
