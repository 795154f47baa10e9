import { registerOrchestrations } from '../orchestrations';
import { getServices } from '../shared/app/services';

// The Durable orchestrators and activities; activities take their dependencies from the composition root.
registerOrchestrations(getServices);
