package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes of a run stopped by a signal, as a shell reports them.
const (
	exitInterrupted = 128 + int(syscall.SIGINT)  // 130
	exitTerminated  = 128 + int(syscall.SIGTERM) // 143
)

// onInterrupt runs cleanup when the process is interrupted (Ctrl-C) or
// told to terminate, says so on errOut, and ends the process with exit
// code 130 or 143. It ends the process here, not through Main, because
// the goroutine reading the input may be blocked in a read that nothing
// can wake. The returned stop ends the watch.
func onInterrupt(errOut io.Writer, cleanup func()) (stop func()) {
	sigs := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-sigs:
			cleanup()
			code, what := exitInterrupted, "interrupted"
			if sig == syscall.SIGTERM {
				code, what = exitTerminated, "terminated"
			}
			fmt.Fprintf(errOut, "mesoscreen: %s; nothing was written\n", what)
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
