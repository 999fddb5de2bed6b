/**
 * A request target in absolute form (`http://host/path`, as proxies send it): the scheme and
 * authority, the authority captured. What is left after it is the path as sent.
 */
export const ABSOLUTE_FORM = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i;
