/* proxy: a loopback TCP proxy for fault injection. It listens on
 * 127.0.0.1 at a free port and forwards every connection to the private
 * server's unix socket, reading the client's MySQL packets as it goes, so
 * that an armed fault strikes at a chosen protocol point: after N bytes from
 * the client, N bytes into a LOAD DATA LOCAL stream, right before a COMMIT
 * reaches the server or right after the server committed (its answer never
 * reaches the client), or right before a chosen query. A fault cuts the connection (both sides
 * closed) or stalls it (nothing forwarded until proxy_release or the client gives up). New
 * connections can be refused (accepted and closed at once) meanwhile. The client must not use TLS
 * or compression (the proxy reads plain packets). */
#ifndef LITELIFT_TEST_PROXY_H
#define LITELIFT_TEST_PROXY_H

enum proxy_point {
    PROXY_BYTES,         /* after bytes bytes sent by clients since armed */
    PROXY_LOAD_DATA,     /* bytes bytes into a LOAD DATA LOCAL file stream */
    PROXY_BEFORE_COMMIT, /* a batch's COMMIT (one after a LOAD DATA), not passed on */
    PROXY_AFTER_COMMIT,  /* a batch's COMMIT passed on and answered; the answer held */
    PROXY_QUERY,         /* a query whose text holds query, not passed on */
};

enum proxy_action { PROXY_CUT, PROXY_STALL };

struct proxy_fault {
    enum proxy_point point;
    enum proxy_action action;
    long skip;         /* batch COMMITs or LOAD DATA statements let through first */
    long long bytes;   /* for PROXY_BYTES and PROXY_LOAD_DATA */
    const char *query; /* for PROXY_QUERY (the caller keeps it while armed) */
};

struct proxy;

/* Starts a proxy to the unix socket at socket_path in a thread of its own.
 * Returns NULL (errno set) when it cannot listen. */
struct proxy *proxy_start(const char *socket_path);

/* The TCP port the proxy listens on (127.0.0.1). */
unsigned proxy_port(const struct proxy *p);

/* Arms one fault (it strikes once, then the proxy forwards as before);
 * replaces a fault armed earlier that has not struck. */
void proxy_arm(struct proxy *p, const struct proxy_fault *f);

/* Disarms a fault armed that has not struck. */
void proxy_disarm(struct proxy *p);

/* How many armed faults have struck so far. */
int proxy_fired(struct proxy *p);

/* Waits until at least n faults have struck, or timeout_s seconds; returns
 * whether they had. */
int proxy_wait_fired(struct proxy *p, int n, int timeout_s);

/* Refuses (on != 0) or accepts again (on == 0) new connections. */
void proxy_refuse(struct proxy *p, int on);

/* Lets stalled connections go on. */
void proxy_release(struct proxy *p);

/* Cuts every open connection now; returns how many. */
int proxy_cut_all(struct proxy *p);

/* Stops the proxy: closes the listener and every connection, and frees it. */
void proxy_stop(struct proxy *p);

#endif
