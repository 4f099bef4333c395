%% The supervisor of weft_bench's restart scenario: one worker, restarted without limit, that
%% reports each start to the benchmark process.
-module(weft_bench_sup).
-behaviour(supervisor).
-export([init/1, start_worker/1]).

init(Bench) ->
    Flags = #{strategy => one_for_one, intensity => 1000000000, period => 1},
    Child = #{id => worker, start => {?MODULE, start_worker, [Bench]}},
    {ok, {Flags, [Child]}}.

start_worker(Bench) ->
    Pid = spawn_link(fun() -> Bench ! {started, self()}, receive stop -> ok end end),
    {ok, Pid}.
