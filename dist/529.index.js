"use strict";
exports.id = 529;
exports.ids = [529];
exports.modules = {

/***/ 8529:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   proxyAgents: () => (/* binding */ proxyAgents)
/* harmony export */ });
/* unused harmony exports SOCKET_OPTIONS, Routes, HttpRouter, HttpsRouter */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var http_proxy_agent__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8947);
/* harmony import */ var https_proxy_agent__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1566);
/* harmony import */ var _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3855);
// The sockets of the AWS clients when a proxy is set: agents that decide per request (by the rules of
// proxy-env.ts) whether it goes out directly or through the proxy: https:// targets through an
// HTTP CONNECT tunnel (https-proxy-agent), http:// targets as absolute-URI requests to the proxy
// (http-proxy-agent), the way curl does (many proxies allow CONNECT to port 443 only). Loaded only
// when a proxy variable is set (a lazy chunk), so runs without a proxy pay nothing for it. The
// same design as the `proxy-agent` package that aws-actions/configure-aws-credentials uses, without
// its PAC and SOCKS parts.
//
// The request is handed to the chosen agent synchronously, while the http.ClientRequest is being
// built: a router that chose later (agent-base's asynchronous connect) would hand over a request
// whose header was already written with the origin-form path, and http-proxy-agent fixes that
// only on a new socket, not on a kept-alive one.





/** The socket settings of the SDK's own NodeHttpHandler agents, kept on every path. */
const SOCKET_OPTIONS = { keepAlive: true, maxSockets: 50 };
/** Where requests of one scheme go: a direct agent, or one agent per proxy (sockets reused). */
class Routes {
    env;
    secure;
    direct;
    proxied = new Map();
    constructor(env, secure) {
        this.env = env;
        this.secure = secure;
        this.direct = secure ? new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent(SOCKET_OPTIONS) : new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent(SOCKET_OPTIONS);
    }
    /** The proxy for a request to host:port, or undefined to go out directly. */
    proxyOf(host, port) {
        const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
        return (0,_proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .proxyFor */ .iJ)(new URL(`${this.secure ? 'https' : 'http'}://${bracketed}:${port}`), this.env);
    }
    agentFor(host, port) {
        const proxy = this.proxyOf(host, port);
        if (!proxy)
            return this.direct;
        let agent = this.proxied.get(proxy.href);
        if (!agent) {
            agent = this.secure
                ? new https_proxy_agent__WEBPACK_IMPORTED_MODULE_3__/* .HttpsProxyAgent */ .b(proxy, SOCKET_OPTIONS)
                : new http_proxy_agent__WEBPACK_IMPORTED_MODULE_2__/* .HttpProxyAgent */ .s(proxy, SOCKET_OPTIONS);
            this.proxied.set(proxy.href, agent);
        }
        return agent;
    }
    route(req, options) {
        const host = options.hostname ?? options.host ?? 'localhost';
        const port = Number(options.port ?? (this.secure ? 443 : 80));
        const agent = this.agentFor(host, port);
        // secureEndpoint tells agent-base (under both proxy agents) the scheme; see agent-base's
        // isSecureEndpoint.
        agent.addRequest(req, { ...options, secureEndpoint: this.secure });
    }
    destroy() {
        this.direct.destroy();
        for (const agent of this.proxied.values())
            agent.destroy();
    }
}
/** The agent the SDK gets for http:// endpoints: it only routes, and holds no socket itself. */
class HttpRouter extends node_http__WEBPACK_IMPORTED_MODULE_0__.Agent {
    routes;
    constructor(env) {
        super(SOCKET_OPTIONS);
        this.routes = new Routes(env, false);
    }
    addRequest(req, options) {
        this.routes.route(req, options);
    }
    destroy() {
        this.routes.destroy();
        super.destroy();
    }
}
/** The agent the SDK gets for https:// endpoints. */
class HttpsRouter extends node_https__WEBPACK_IMPORTED_MODULE_1__.Agent {
    routes;
    constructor(env) {
        super(SOCKET_OPTIONS);
        this.routes = new Routes(env, true);
    }
    addRequest(req, options) {
        this.routes.route(req, options);
    }
    destroy() {
        this.routes.destroy();
        super.destroy();
    }
}
/** The agents to give the SDK's request handler. */
function proxyAgents(env) {
    return { httpAgent: new HttpRouter(env), httpsAgent: new HttpsRouter(env) };
}


/***/ })

};
;