// The MQTT 5 only scenarios, in two modules.
import { v5SubscriptionScenarios } from './v5_subscriptions.mjs';
import { v5MessageScenarios } from './v5_messages.mjs';

export const v5Scenarios = [...v5SubscriptionScenarios, ...v5MessageScenarios];
