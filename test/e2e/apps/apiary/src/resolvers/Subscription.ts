import { withFilter } from 'graphql-subscriptions';
import { INSPECTION_LOGGED } from '../constants';
import type { InspectionRow } from '../db';
import { pubsub } from '../pubsub';

export const Subscription = {
  inspectionLogged: {
    subscribe: withFilter(
      () => pubsub.asyncIterator(INSPECTION_LOGGED),
      (payload: { inspectionLogged: InspectionRow }, variables: { hiveId: string }) => String(payload.inspectionLogged.hive_id) === variables.hiveId,
    ),
  },
};
