// The Durable orchestrators and activities, registered from orchestrations/.
import '../orchestrations';
