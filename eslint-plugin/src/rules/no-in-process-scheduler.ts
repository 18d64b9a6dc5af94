import { ruleFromDefinition } from '../util/ruleFromDefinition';

export default ruleFromDefinition('no-in-process-scheduler');
