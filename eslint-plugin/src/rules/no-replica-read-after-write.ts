import { ruleFromDefinition } from '../util/ruleFromDefinition';

export default ruleFromDefinition('no-replica-read-after-write');
