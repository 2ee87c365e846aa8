export { collectStates, mergeStored, readStates, type CollectOptions, type StoredState } from "./collect.js";
export { publishState, resumeState, type PublishOptions, type Resumed } from "./publish.js";
export { StatePublisher, type ReconnectingClient, type StatePublisherOptions } from "./publisher.js";
export { createStateClient, stateScripts } from "./script.js";
export { type PublishTarget, type StateClient, type WorkerRef } from "./target.js";
export { watchStates, type SubscriberClient, type WatchClient } from "./watch.js";
