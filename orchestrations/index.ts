// Every orchestration and activity of the app; loaded by functions/orchestrations.ts.
import './runs/activities';
import './provider-health-check/orchestrator';
import './provider-health-check/activities';
import './provider-verification/orchestrator';
import './provider-verification/activities';
import './backup/orchestrator';
import './backup/activities';
import './inventory-sync/orchestrator';
import './inventory-sync/activities';
import './directory-sync/orchestrator';
import './directory-sync/activities';
