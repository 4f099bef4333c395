%% The BEAM side of Weft's process-runtime benchmark (weft-bench CoreBench).
%%
%% Each scenario is the same tiny program as its Java counterpart in CoreBench.java, so that the
%% two runtimes can be compared in one run on one machine. CoreBench (Beam.java) copies this file from the class path, compiles it with erlc
%% and runs one scenario per `erl` invocation:
%%
%%   erl -noshell +P 2000000 -pa DIR -s weft_bench main SCENARIO ARG...
%%
%% Every scenario prints exactly one line, `result key=value key=value ...`, which CoreBench parses.
%% Times are in microseconds, memory in bytes.
-module(weft_bench).
-export([main/1]).

main([Scenario | Args]) ->
    Line = run(Scenario, [list_to_integer(atom_to_list(A)) || A <- Args]),
    io:format("result ~s~n", [Line]),
    init:stop().

run(spawn_idle, [N]) -> spawn_idle(N);
run(ping_pong, [N]) -> ping_pong(N);
run(ring, [N, Hops]) -> ring(N, Hops);
run(calls, [N]) -> calls(N);
run(restarts, [N]) -> restarts(N);
run(spawn_exit, [N]) -> spawn_exit(N);
run(fairness, [Hogs, Millis]) -> fairness(Hogs, Millis);
run(kill_latency, [N, Hogs]) -> kill_latency(N, Hogs).

fmt(Pairs) ->
    string:join([io_lib:format("~s=~p", [K, V]) || {K, V} <- Pairs], " ").

micros(Fun) ->
    {T, R} = timer:tc(Fun),
    {T, R}.

%% ---------------------------------------------------------------- spawn N processes waiting in receive

spawn_idle(N) ->
    Parent = self(),
    erlang:garbage_collect(),
    Before = erlang:memory(processes),
    {T, Pids} = micros(fun() ->
        Ps = [spawn(fun() -> Parent ! ready, receive stop -> ok end end) || _ <- lists:seq(1, N)],
        wait_n(ready, N),
        Ps
    end),
    After = erlang:memory(processes),
    [P ! stop || P <- Pids],
    fmt([{"n", N}, {"micros", T}, {"bytes_each", (After - Before) / N}]).

wait_n(_, 0) -> ok;
wait_n(Msg, K) -> receive Msg -> wait_n(Msg, K - 1) end.

%% ---------------------------------------------------------------- spawn and exit

spawn_exit(N) ->
    Parent = self(),
    {T, _} = micros(fun() ->
        [spawn(fun() -> Parent ! done end) || _ <- lists:seq(1, N)],
        wait_n(done, N)
    end),
    fmt([{"n", N}, {"micros", T}]).

%% ---------------------------------------------------------------- ping-pong: N round trips

ping_pong(N) ->
    Echo = spawn(fun echo/0),
    {T, _} = micros(fun() -> ping(Echo, N) end),
    Echo ! stop,
    fmt([{"round_trips", N}, {"micros", T}]).

echo() ->
    receive
        {ball, From, I} -> From ! {ball, self(), I}, echo();
        stop -> ok
    end.

ping(_, 0) -> ok;
ping(Echo, K) ->
    Echo ! {ball, self(), K},
    receive {ball, Echo, K} -> ping(Echo, K - 1) end.

%% ---------------------------------------------------------------- ring of N processes, Hops hops

ring(N, Hops) ->
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> ring_node(Next) end) end, Self, lists:seq(1, N - 1)),
    {T, _} = micros(fun() ->
        First ! {token, Hops},
        ring_main(First)
    end),
    First ! stop,
    fmt([{"n", N}, {"hops", Hops}, {"micros", T}]).

ring_node(Next) ->
    receive
        {token, 0} = M -> Next ! M, ring_node(Next);
        {token, K} -> Next ! {token, K - 1}, ring_node(Next);
        stop -> Next ! stop
    end.

%% The benchmark process is one member of the ring.
ring_main(First) ->
    receive
        {token, 0} -> ok;
        {token, K} -> First ! {token, K - 1}, ring_main(First)
    end.

%% ---------------------------------------------------------------- gen_server:call round trips

calls(N) ->
    {ok, Pid} = gen_server:start(weft_bench_echo, [], []),
    {T, _} = micros(fun() -> call_loop(Pid, N) end),
    gen_server:stop(Pid),
    fmt([{"calls", N}, {"micros", T}]).

call_loop(_, 0) -> ok;
call_loop(Pid, K) -> K = gen_server:call(Pid, K, 5000), call_loop(Pid, K - 1).

%% ---------------------------------------------------------------- supervisor restarts

%% A one-for-one supervisor with one worker; the benchmark kills the worker N times, each time
%% waiting for the restarted worker to report in.
restarts(N) ->
    %% Supervisor reports off: the Weft side runs with its restart log turned off too.
    ok = logger:set_primary_config(level, none),
    Self = self(),
    {ok, Sup} = supervisor:start_link(weft_bench_sup, Self),
    unlink(Sup),
    First = receive {started, P0} -> P0 end,
    {T, _} = micros(fun() -> restart_loop(First, N) end),
    exit(Sup, shutdown),
    fmt([{"restarts", N}, {"micros", T}]).

restart_loop(_, 0) -> ok;
restart_loop(Pid, K) ->
    exit(Pid, kill),
    receive {started, Next} -> restart_loop(Next, K - 1) end.

%% ---------------------------------------------------------------- fairness

%% Hogs processes spin on arithmetic for Millis ms. Meanwhile a requester sends a request to an
%% echo process and waits for the reply, then sleeps 1 ms, again and again. Reports how many round
%% trips the requester completed while the hogs ran, and their latency.
fairness(Hogs, Millis) ->
    Self = self(),
    Echo = spawn(fun echo/0),
    Deadline = erlang:monotonic_time(millisecond) + Millis,
    HogPids = [spawn(fun() -> hog(Deadline, 0), Self ! hog_done end) || _ <- lists:seq(1, Hogs)],
    Requester = spawn(fun() -> Self ! {latencies, request_loop(Echo, Deadline, [])} end),
    wait_n(hog_done, length(HogPids)),
    Lat = receive {latencies, L} -> L end,
    Echo ! stop,
    _ = Requester,
    Sorted = lists:sort(Lat),
    Count = length(Sorted),
    fmt([{"round_trips", Count},
         {"p50_micros", pct(Sorted, Count, 0.50)},
         {"p99_micros", pct(Sorted, Count, 0.99)},
         {"max_micros", pct(Sorted, Count, 1.0)}]).

hog(Deadline, Acc) ->
    case erlang:monotonic_time(millisecond) >= Deadline of
        true -> Acc;
        false -> hog(Deadline, spin(10000, Acc))
    end.

spin(0, Acc) -> Acc;
spin(K, Acc) -> spin(K - 1, (Acc * 31 + K) band 16#FFFFFF).

request_loop(Echo, Deadline, Acc) ->
    case erlang:monotonic_time(millisecond) >= Deadline of
        true -> Acc;
        false ->
            T0 = erlang:monotonic_time(microsecond),
            Echo ! {ball, self(), 1},
            receive {ball, Echo, 1} -> ok end,
            T1 = erlang:monotonic_time(microsecond),
            timer:sleep(1),
            request_loop(Echo, Deadline, [T1 - T0 | Acc])
    end.

pct(_, 0, _) -> 0;
pct(Sorted, Count, P) ->
    Index = max(1, min(Count, round(P * Count))),
    lists:nth(Index, Sorted).

%% ---------------------------------------------------------------- kill a spinning process

%% N times: a process spins in a loop that never receives; it is killed; the time until its
%% monitor reports it dead. Hogs other processes spin meanwhile, so that the victim competes for
%% the schedulers.
kill_latency(N, Hogs) ->
    HogPids = [spawn(fun() -> spin_forever(0) end) || _ <- lists:seq(1, Hogs)],
    Lat = [kill_once() || _ <- lists:seq(1, N)],
    [exit(P, kill) || P <- HogPids],
    Sorted = lists:sort(Lat),
    fmt([{"kills", N},
         {"p50_micros", pct(Sorted, N, 0.50)},
         {"max_micros", pct(Sorted, N, 1.0)}]).

kill_once() ->
    Self = self(),
    P = spawn(fun() -> Self ! spinning, spin_forever(0) end),
    receive spinning -> ok end,
    Ref = monitor(process, P),
    T0 = erlang:monotonic_time(microsecond),
    exit(P, kill),
    receive {'DOWN', Ref, process, P, killed} -> ok end,
    erlang:monotonic_time(microsecond) - T0.

spin_forever(K) -> spin_forever((K * 31 + 7) band 16#FFFFFF).
