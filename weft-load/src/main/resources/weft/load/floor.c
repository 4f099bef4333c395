/*
 * The floor for a broadcast on loopback: N TCP connections over 127.0.0.x; this process holds the
 * server ends and writes one 40-byte frame (a WebSocket text frame's size for a short broadcast)
 * to each from one thread; a forked child holds the client ends and reads them with epoll on the
 * other core. Prints, for each round, the microseconds from the first write until the child has
 * read the last frame (both on CLOCK_MONOTONIC), then the median. Two processes, so that each
 * holds at most N + a few descriptors (one process may hold 20,000 here).
 *
 * Usage: floor N ROUNDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: floor N ROUNDS\n");
    return 2;
  }
  int n = atoi(argv[1]), rounds = atoi(argv[2]);
  // Never hang: a process whose peer died (a failed connect, say) ends here instead.
  alarm(120);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  if (listen(lfd, 4096) < 0) die("listen");
  socklen_t len = sizeof addr;
  getsockname(lfd, (struct sockaddr *)&addr, &len);

  int ready[2], done[2];
  if (pipe(ready) < 0 || pipe(done) < 0) die("pipe");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    alarm(120);
    close(lfd);
    int *fds = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) die("socket");
      struct sockaddr_in src = {.sin_family = AF_INET, .sin_port = 0};
      // 127.0.1.1, .2, ...: 10,000 sockets per source address, apart from the addresses of the
      // load processes (127.0.0.x), whose ephemeral ports would run out with ours.
      src.sin_addr.s_addr = htonl(0x7f000100u | (uint32_t)(1 + i / 10000));
      if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) die("bind source");
      if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
      fds[i] = fd;
    }
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
      struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[i]};
      epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    char c = 'r';
    if (write(ready[1], &c, 1) != 1) die("ready");
    struct epoll_event evs[1024];
    char buf[4096];
    for (int r = 0; r < rounds; r++) {
      int got = 0;
      while (got < n) {
        int k = epoll_wait(ep, evs, 1024, -1);
        for (int j = 0; j < k; j++) {
          ssize_t m = read(evs[j].data.fd, buf, sizeof buf);
          if (m > 0) got += (int)(m / 40);
        }
      }
      int64_t t = now_ns();
      if (write(done[1], &t, sizeof t) != sizeof t) die("done");
    }
    _exit(0);
  }
  int *fds = malloc(sizeof(int) * n);
  for (int i = 0; i < n; i++) {
    fds[i] = accept(lfd, NULL, NULL);
    if (fds[i] < 0) die("accept");
    int one = 1;
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  char c;
  if (read(ready[0], &c, 1) != 1) die("child not ready");
  char frame[40];
  memset(frame, 'x', sizeof frame);
  frame[0] = (char)0x81;
  frame[1] = 38;
  int64_t *us = malloc(sizeof(int64_t) * rounds);
  for (int r = 0; r < rounds; r++) {
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, NULL);
    int64_t t0 = now_ns();
    for (int i = 0; i < n; i++) {
      if (write(fds[i], frame, sizeof frame) != sizeof frame) die("write");
    }
    int64_t t;
    if (read(done[0], &t, sizeof t) != sizeof t) die("child result");
    us[r] = (t - t0) / 1000;
    printf("round %d: %lld us\n", r, (long long)us[r]);
  }
  qsort(us, rounds, sizeof(int64_t), cmp);
  printf("median %lld\n", (long long)us[rounds / 2]);
  fflush(stdout);
  waitpid(child, NULL, 0);
  return 0;
}
