// Its own module so the AsyncAPI document and the agent bot can name the path without loading the
// peer (and socket.io with it).
/** Where the socket.io endpoint listens on the simulator's HTTP port. */
export const EXPERTFLOW_PATH = '/expertflow/socket.io'
