package sync

import (
	"errors"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

type workflowContinueAsNew struct{ input Input }

func asContinueAsNew(err error, out **workflowContinueAsNew) bool {
	var can *workflow.ContinueAsNewError
	if !errors.As(err, &can) {
		return false
	}
	var in Input
	if err := decodeInput(can, &in); err != nil {
		return false
	}
	*out = &workflowContinueAsNew{input: in}
	return true
}

func decodeInput(can *workflow.ContinueAsNewError, in *Input) error {
	return converter.GetDefaultDataConverter().FromPayloads(can.Input, in)
}

func asApplicationError(err error, out **temporal.ApplicationError) bool {
	return errors.As(err, out)
}

func testStartOptions() client.StartWorkflowOptions {
	return client.StartWorkflowOptions{ID: WorkflowID(testMall.Key)}
}
