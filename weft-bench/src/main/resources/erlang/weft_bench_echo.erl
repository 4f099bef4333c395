%% The echo server of weft_bench's gen_server:call scenario: replies with the request.
-module(weft_bench_echo).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

init([]) -> {ok, 0}.
handle_call(Request, _From, State) -> {reply, Request, State}.
handle_cast(_Request, State) -> {noreply, State}.
