// The trivial tinypool task: the pool's own round trip, with no work to speak of.
export default (value) => value;
