// Every test runs on one of these hosts; a global using keeps tests written before the fixtures moved here compiling.
global using Optio.Tests.Hosts;
