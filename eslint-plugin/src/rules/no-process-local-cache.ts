import { ruleFromDefinition } from '../util/ruleFromDefinition';

export default ruleFromDefinition('no-process-local-cache');
