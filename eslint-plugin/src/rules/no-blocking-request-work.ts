import { ruleFromDefinition } from '../util/ruleFromDefinition';

export default ruleFromDefinition('no-blocking-request-work');
