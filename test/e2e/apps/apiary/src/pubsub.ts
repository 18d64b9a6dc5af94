import { PubSub } from 'graphql-subscriptions';

// One PubSub for the whole server: mutations publish, subscriptions listen.
export const pubsub = new PubSub();
