import { ruleFromDefinition } from '../util/ruleFromDefinition';

export default ruleFromDefinition('no-local-disk-write');
